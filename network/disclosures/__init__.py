"""Art. 56 spontaneous disclosures, art. 52(2)(b) notifications and requests for notification."""
