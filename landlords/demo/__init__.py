"""蓉庭's demo data, registered by dotted path in ``LandlordsConfig.ready`` and imported only by ``seed_demo``."""
