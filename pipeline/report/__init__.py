"""Where the profile is drawn: editions, the tables, figures and text of the report (computed from the marts), and
rendering the Quarto project in report/ to PDF and HTML."""
