"""The setup screen: asks for what the board (or the Historical tab) is missing.

Shown when a secret is found neither in the environment nor in the keyring, or the
tenant / region / analytics user is not configured. It asks only for what is missing:
password inputs (masked) for the secrets, plain inputs for the tenant, the region or URL
(when none is configured) or the analytics user name, a "Save to keyring" box (disabled,
with the advice shown, on a machine without a usable keyring), Continue and Cancel.
Keyboard only: Tab moves between fields, Enter continues, Escape cancels. Everything it
displays that came from outside (config values, backend names, messages) is plain text,
never markup.

How the App uses it (a sketch; ``gather`` may wait on the keyring, so run it off the
event loop)::

    from wallboard.credentials.needs import gather
    from wallboard.ui.screens.setup import SetupScreen

    @work(exclusive=True)
    async def connect(self) -> None:
        found, needs = await asyncio.to_thread(gather, "realtime", self.settings)
        if needs.needed:
            result = await self.push_screen_wait(SetupScreen(needs, config_path=...))
            if result is None:          # Escape: nothing to poll with
                self.exit(message="not configured yet; see `wallboard run --help`")
                return
            found.update(result.secrets)
            settings = replace(self.settings, tenant=result.tenant, realtime_url=result.realtime_url)
        self.start_polling(settings, found[REALTIME_TOKEN])

For the Historical tab, the same with ``gather("analytics", ...)`` the first time
analytics is used, then ``result.username`` and the two analytics secrets.

The screen stores secrets itself when "Save to keyring" is ticked: on Continue it runs
:func:`~wallboard.credentials.needs.save_to_keyring` in a thread worker (keyring calls block,
and may wait on D-Bus), shows "Saving..." meanwhile, and dismisses with the
:class:`~wallboard.credentials.needs.SetupResult` (``saved`` names what was stored) only when
that worked; a keyring error is shown on the screen, so the user can untick the box and
continue for this session only. Tenant, region and user name are not written to the
config file; the screen says where to put them to keep them.
"""

from __future__ import annotations

from typing import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from wallboard.errors import WallboardError
from wallboard.credentials.secret import Secret

from wallboard.credentials.needs import (
    FIELD_LABELS,
    KEYRING_PASSWORD,
    KEYRING_PASSWORD_AGAIN,
    REALTIME_URL,
    TENANT,
    USERNAME,
    SetupFieldError,
    SetupNeeds,
    SetupResult,
    check_answers,
    save_to_keyring,
)

TITLES = {
    "realtime": "Connect to 8x8 real-time statistics",
    "cc-realtime": "Connect to 8x8 Contact Center real-time metrics",
    "analytics": "Sign in to 8x8 Work Analytics",
}
INTROS = {
    "realtime": "Needed before the board can start. Secrets you type are never shown.",
    "cc-realtime": "The API key and secret of an Admin Console app with \"Analytics for Contact Center\". Secrets you type are never shown.",
    "analytics": "Needed for historical reports. Secrets you type are never shown.",
}
PLACEHOLDERS = {
    TENANT: "your 8x8 tenant name",
    REALTIME_URL: "na1, na4, vcc-na10b, eu2, uk ... or https://...",
    USERNAME: "the 8x8 user for Work Analytics",
    KEYRING_PASSWORD: "the encrypted keyring's own password (to save)",
    KEYRING_PASSWORD_AGAIN: "the same again",
}
NEW_KEYRING_PLACEHOLDER = "choose one: it opens the new keyring file"
SAVE_GROUP = "setup-save"
HELP = "Tab next field   Enter continue   Escape cancel"


class SetupScreen(ModalScreen[SetupResult | None]):
    """Asks for missing credentials; dismisses with a SetupResult, or None on Cancel."""

    DEFAULT_CSS = """
    SetupScreen {
        align: center middle;
        background: $background 70%;
    }
    SetupScreen #dialog {
        width: 88;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
        padding: 1 2 0 2;
    }
    SetupScreen #form, SetupScreen #fields {
        height: auto;
    }
    SetupScreen .intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    SetupScreen .row {
        height: auto;
    }
    SetupScreen .row Label {
        width: 20;
        padding: 1 1 0 0;
        text-style: bold;
    }
    SetupScreen .row Input {
        width: 1fr;
    }
    SetupScreen #save {
        margin-top: 1;
    }
    SetupScreen .advice {
        color: $warning;
        margin: 1 0 0 0;
    }
    SetupScreen .keep {
        color: $text-muted;
        margin: 1 0 0 0;
    }
    SetupScreen #problem {
        color: $error;
        text-style: bold;
        height: auto;
        margin: 1 0 0 0;
    }
    SetupScreen #problem.-note {
        color: $text-muted;
        text-style: none;
    }
    SetupScreen #problem.-empty {
        display: none;
    }
    SetupScreen #buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    SetupScreen #buttons Button {
        margin-left: 2;
        min-width: 14;
    }
    SetupScreen .help {
        color: $text-muted;
        text-align: right;
        height: 1;
    }

    /* 80x24 over SSH: one line per field, no spacer lines. */
    SetupScreen.-short #dialog {
        padding: 0 1;
    }
    SetupScreen.-short .intro, SetupScreen.-short .advice, SetupScreen.-short .keep,
    SetupScreen.-short #problem, SetupScreen.-short #save {
        margin: 0;
    }
    SetupScreen.-short .intro {
        margin-bottom: 1;
    }
    SetupScreen.-short .row Label {
        padding: 0 1 0 0;
    }
    SetupScreen.-short .row Input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    SetupScreen.-short .row Input:focus {
        background: $primary 30%;
    }
    SetupScreen.-short .row Input.-invalid {
        background: $error 30%;
    }
    SetupScreen.-short #save {
        border: none;
        height: 1;
        padding: 0;
        margin-top: 1;
    }
    SetupScreen.-short #buttons {
        margin-top: 1;
    }
    SetupScreen.-short.-no-keyring #buttons {
        margin-top: 0;
    }
    SetupScreen.-short.-no-keyring .help {
        display: none;
    }
    SetupScreen.-short #buttons Button {
        border: none;
        height: 1;
        min-width: 12;
    }
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    AUTO_FOCUS = None
    """No focus on the first field by Textual: :meth:`on_mount` puts the cursor in the first
    empty one, and nothing typed meanwhile may land in a field already filled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        # Priority: Tab moves the focus before the keys behind it are handed out. Otherwise
        # a burst (a paste, or a line's worth of keys over a slow SSH link) lands whole in
        # the field being left, as a plain Tab only takes effect after the field has seen it.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(
        self,
        needs: SetupNeeds,
        *,
        config_path: str = "",
        save: Callable[[SetupResult], SetupResult] = save_to_keyring,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self.needs = needs
        self.config_path = config_path
        self._save = save
        self._saving = False
        self.set_class(not needs.keyring_usable, "-no-keyring")

    def compose(self) -> ComposeResult:
        needs = self.needs
        with Vertical(id="dialog") as dialog:
            dialog.border_title = TITLES[needs.purpose]
            with Vertical(id="form"):
                yield Static(INTROS[needs.purpose], classes="intro", markup=False)
                with Vertical(id="fields"):
                    for key in needs.fields():
                        with Horizontal(classes="row"):
                            yield Label(FIELD_LABELS[key], markup=False)
                            yield self._input(key)
                short = needs.keyring_name.rpartition(".")[2]  # the class: the full path is in `secrets status`
                kept_how = f"{short}; {needs.keyring_encryption}" if needs.keyring_encryption else needs.keyring_name
                yield Checkbox(
                    Content(f"Save to keyring ({kept_how})" if needs.keyring_usable else "Save to keyring (none usable here)"),
                    value=needs.keyring_usable,
                    disabled=not needs.keyring_usable,
                    id="save",
                )
                if not needs.keyring_usable:
                    yield Static(needs.keyring_advice, classes="advice", markup=False)
                keep = self._keep_hint()
                if keep:
                    yield Static(keep, classes="keep", markup=False)
                yield Static("", id="problem", classes="-empty", markup=False)
                with Horizontal(id="buttons"):
                    yield Button("Continue", variant="primary", id="continue")
                    yield Button("Cancel", id="cancel")
            yield Static(HELP, classes="help", markup=False)

    def _input(self, key: str) -> Input:
        secret = self.needs.masked(key)
        value = {TENANT: self.needs.tenant, USERNAME: self.needs.username}.get(key, "")
        placeholder = NEW_KEYRING_PLACEHOLDER if key == KEYRING_PASSWORD and self.needs.keyring_new else PLACEHOLDERS.get(key)
        return Input(
            value=value,
            placeholder=placeholder or ("typed without echo" if secret else ""),
            password=secret,
            id=f"field-{key}",
        )

    def _keep_hint(self) -> str:
        fields = self.needs.fields()
        keys = [key for key in (TENANT, REALTIME_URL, USERNAME) if key in fields]
        if not keys:
            return ""
        where = self.config_path or "the config file"
        names = {TENANT: "tenant", REALTIME_URL: "region", USERNAME: "username under [analytics]"}
        return f"Used for this session only; to keep it, set {' and '.join(names[k] for k in keys)} in {where}."

    def on_mount(self) -> None:
        first_empty = next((field for field in self.query(Input) if not field.value), None)
        (first_empty or self.query_one("#continue", Button)).focus()

    # --- actions -------------------------------------------------------------------------

    @on(Input.Submitted)
    def _on_enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#continue")
    def _on_continue(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _on_cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Changed)
    def _on_change(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def action_cancel(self) -> None:
        if not self._saving:
            self.dismiss(None)

    def action_submit(self) -> None:
        if self._saving:
            return
        answers = {key: self._answer(key) for key in self.needs.fields()}
        save = self.query_one("#save", Checkbox).value
        try:
            result = check_answers(self.needs, answers, save)
        except SetupFieldError as error:
            field = self.query_one(f"#field-{error.field}", Input)
            field.add_class("-invalid")
            field.focus()
            self._show_problem(str(error))
            return
        if not result.save_requested:
            self.dismiss(result)
            return
        self._saving = True
        self.query_one("#form").disabled = True
        self._show_problem("Saving to the keyring...", error=False)
        self._save_in_thread(result)

    def _answer(self, key: str) -> str | Secret:
        """A field's text; a secret's wrapped at once, so no plain copy lingers in a local."""
        typed = self.query_one(f"#field-{key}", Input)
        return Secret(typed.value) if self.needs.masked(key) else typed.value

    @work(thread=True, exclusive=True, group=SAVE_GROUP, exit_on_error=False)
    def _save_in_thread(self, result: SetupResult) -> SetupResult:
        return self._save(result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Back on the event loop: dismiss once saved, or show why not."""
        if event.worker.group != SAVE_GROUP:
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            # Our typed errors carry one safe line; anything else is named, never echoed.
            self._save_failed(str(error) if isinstance(error, WallboardError) else f"could not save ({type(error).__name__})")

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self.query_one("#form").disabled = False
        self._show_problem(f"{message.rstrip('.')}. Untick 'Save to keyring' to continue without saving.")
        self.query_one("#save", Checkbox).focus()

    def _show_problem(self, message: str, error: bool = True) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(message)
        problem.set_class(not message, "-empty")
        problem.set_class(not error, "-note")
