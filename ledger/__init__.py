"""The application service and its adapters (``ledger.store``).

The storage library is given the ledger's own UUID column before anything here can
import it (ADR 0047): every import of the service passes through this package first.
"""

from ledger.store.uuid_column import use_for_the_event_log

use_for_the_event_log()
