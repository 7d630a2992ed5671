"""Files private by default: everything the program writes is for its own user only.

The database holds contacts and case notes, the outbox and notices name companies, the logs
name recipients; none of it is for other accounts on the server. Every entry point (the
`ipwatch` command, the crawl subprocess) sets this umask first, so files are created 0600 and
folders 0700 whatever the shell's umask; the systemd unit sets `UMask=0077` as well.
"""

from __future__ import annotations

import os

PRIVATE_UMASK = 0o077


def private_umask() -> int:
    """Make new files 0600 and folders 0700 for the rest of this process; the old umask."""
    return os.umask(PRIVATE_UMASK)
