"""``python wsgi.py``'s server (Werkzeug, a thread per connection) for any bench app module."""

from __future__ import annotations

import importlib
import sys

if __name__ == "__main__":
    module_name, _, _attr = sys.argv[1].partition(":")
    module = importlib.import_module(module_name)
    module.socketio.run(
        module.app, host="127.0.0.1", port=int(sys.argv[2]), allow_unsafe_werkzeug=True
    )
