"""The Dinas Sosial side in the window (issue 19): the area chosen at first start and the
overview of kelurahan, the first screen of a Dinsos installation. The counts and the roles are
app/services/overview.py and app/services/installation.py."""
