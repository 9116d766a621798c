"""Historical reports without a screen: the query (range, zone, PBXs) and the table
(columns, cells, totals), shared by ``wallboard report``, the Historical tab and its
CSV export, so a figure reads the same everywhere."""
