"""Every state change of the monitoring app (keyword-only, one transaction, audited): the registry
(``registry``), the review of findings (``review``), probes and crawls (``crawls``).

Crawls run the network part outside any transaction and persist each site's report in its own
transaction."""

from .crawls import (  # noqa: F401
    accessibility_record,
    accounts_check,
    availability,
    check_once,
    crawl_persist,
    crawl_sites,
    log,
    probe_run,
    probes_plan,
    spec_for,
)
from .registry import (  # noqa: F401
    SITE_FIELDS,
    account_change_status,
    account_register,
    column_add,
    column_confirm,
    column_reject,
    columns_propose,
    ensure_own_portal,
    normalise_url,
    phrase_allow,
    scanner,
    site_close,
    site_pause,
    site_register,
    site_resume,
    site_update,
    word_add,
    wordlist_create,
)
from .review import finding_confirm, finding_dismiss  # noqa: F401
