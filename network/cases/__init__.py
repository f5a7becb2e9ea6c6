"""Cases: a requesting State, its requested States, each side's team, references and stage."""
