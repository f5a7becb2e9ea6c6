"""What the tracking records share: who sees which side of a case, sealing, input checks.

Nothing here reads the request or the clock; it must not import Flask or marshmallow.
"""
