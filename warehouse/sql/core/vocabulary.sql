-- core.vocabulary: English labels of the codes used in the warehouse (pipeline/warehouse/vocabulary.py).
CREATE OR REPLACE TABLE core.vocabulary (
    kind VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    sort INTEGER NOT NULL,  -- the code's place in its list (a table's rows in the publisher's order)
    PRIMARY KEY (kind, code)
);
