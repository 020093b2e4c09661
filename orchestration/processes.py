"""Process helpers shared by the publisher and the serving layer."""

import os


def is_alive(pid: int) -> bool:
    """True when a process with `pid` exists (also when it belongs to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
