"""光明村's models. Each area has its module; import the models from here."""
