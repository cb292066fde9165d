-- seeds.citizenship_names: English names of citizenships where Destatis's own label is not the country's name (ST475 'Syrian') (warehouse/seeds/citizenship_names.csv).
CREATE OR REPLACE TABLE seeds.citizenship_names (
    code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (code)
);
