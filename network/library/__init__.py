"""The network's library: guides, model agreements, forms, how-to-cooperate notes, a glossary."""
