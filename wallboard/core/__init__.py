"""The pure core: everything the board knows and decides, without Textual and without I/O.

Layers, each a package, each importing only from those above it in this list:

* text helpers here (:mod:`.text`, :mod:`.numbers`, :mod:`.formatting`, :mod:`.ascii`);
* :mod:`.model`: the records the board draws (agents, queues, Work Analytics records),
  the decoding tables, the table of agent states, the snapshot, the thresholds;
* :mod:`.wire`: reading (and writing) the vendors' payloads into those records;
* :mod:`.views`: what each screen says, as text and style names (agents grid, queue
  tiles, header, detail, TV layout, the Historical tab's state machine);
* :mod:`.reports`: historical reports as queries and tables, and their renderers.
"""
