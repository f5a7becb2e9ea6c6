"""The directory: States, authorities, focal points, observer bodies and country profiles."""
