"""Every shape ARNet loads and dumps (HTTP and Socket.IO alike), and its vocabularies."""
