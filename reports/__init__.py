"""Reports built from the read models: the annual report and its formats."""
