"""Names for simulated agents and queues, and the hostile ones tests need."""

FIRST_NAMES = (
    "Alice", "Ben", "Cecilia", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ingrid",
    "Jamal", "Kerry", "Luis", "Maya", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sam",
    "Tomasz", "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoë", "Aisha", "Bruno", "Chloé",
    "Diego", "Emeka", "Fatima", "Giulia", "Hannah", "Ivan", "José", "Kai", "Leila", "Marco",
    "Nadia", "Oscar", "Priya", "Rahul", "Sofia", "Theo", "Valeria", "Wei", "Yusuf",
)
LAST_NAMES = (
    "Anders", "Brennan", "Castro", "Dubois", "Eriksen", "Fischer", "García", "Haddad",
    "Ivanova", "Jensen", "Kowalski", "Lee", "Moreau", "Nakamura", "O'Neill", "Patel",
    "Quintero", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Walsh", "Xu", "Yilmaz",
    "Zimmermann", "Adeyemi", "Bianchi", "Chen", "Doyle", "Evans", "Fernandes", "Gupta",
    "Hughes", "Ito", "Jovanović", "Kim", "Larsen", "Müller", "Novak", "Okafor", "Park",
)
QUEUE_NAMES = {
    "phone": ("Sales", "Support", "Billing", "VIP Line", "Returns", "Renewals", "Retention", "Escalations", "Out of Hours"),
    "chat": ("Sales Chat", "Tech Chat", "Web Help", "Order Chat"),
    "email": ("Email Care", "Accounts Email", "Partners Email"),
    "vmail": ("Callback VM", "After Hours VM"),
}
"""Queue names by media, so a chat queue is never called "Billing Line"."""

HOSTILE_AGENT_NAMES = (
    "[b red]Mallory[/]",
    "\x1b]0;pwned-title\x07Eve Osc",
    "\x1b[31;1mRed\x1b[0m Trudy",
    "Bidi \u202eevil\u202c Bob",
    "王小明 Wang",
    "Zoë 😀 Emoji",
    "Very" + "long" * 80 + " Name",
    "\x9b2J C1 Carol",
)
"""Names that must be shown literally and harmlessly: markup, OSC/CSI, bidi, wide, long."""

HOSTILE_QUEUE_NAME = "[reverse]Fraud[/] \x1b]52;c;aGk=\x07Queue"
