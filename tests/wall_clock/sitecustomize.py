"""For `make test-clock`: start the Python process with its wall clock at PORTAL_WALL_CLOCK
(an ISO moment with its offset), moving on from there, before anything else is imported.

This stands in for the machine's clock being at that hour: every way Python reads the wall
clock sees it. Unlike libfaketime (LD_PRELOAD) it leaves sleeping and
the monotonic clock alone, which SQLite's busy wait and Python's threads need. The suite's own
fixtures then travel to their fixed moment inside it, as they do at any real hour.
"""

import os

_moment = os.environ.get("PORTAL_WALL_CLOCK")
if _moment:
    import time_machine

    time_machine.travel(_moment, tick=True).start()
