"""The pure domain: the complaints procedures as aggregates, events and rules.

No SQL, no click, no printing: this package only decides what may happen and records
what did, as events.
"""
