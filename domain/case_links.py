"""The names of casework that ties complaints together (ADR 0038): how one case is
linked to another, and what a re-opened stage's clock counts from."""

from __future__ import annotations

#: Links a complaints officer records between related cases.
SAME_FAMILY = "same-family"
SAME_ISSUE = "same-issue"
LINK_KINDS = (SAME_FAMILY, SAME_ISSUE)

#: Links recorded by a merge, a split or a new issue, one on each case.
MERGED_DUPLICATE = "merged-duplicate"  # on the original: the duplicate merged into it
SPLIT_PART = "split-part"  # on the split case: its part under the other procedure
SPLIT_FROM = "split-from"  # on the part: the case it was split from
NEW_ISSUE = "new-issue"  # on the case: the new issue raised during it
RAISED_DURING = "raised-during"  # on the new issue: the case it was raised during
CASEWORK_LINKS = (MERGED_DUPLICATE, SPLIT_PART, SPLIT_FROM, NEW_ISSUE, RAISED_DURING)

#: Every kind of link, as ``show`` and ``history`` name them.
ALL_LINK_KINDS = LINK_KINDS + CASEWORK_LINKS

#: How a merged duplicate ended, and what a re-opened stage's clock counts from.
MERGED = "merged"
REOPENING = "re-opening"
