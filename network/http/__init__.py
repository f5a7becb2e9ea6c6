"""HTTP plumbing the REST API and the pages share: who is asking, error answers, locale, gates."""
