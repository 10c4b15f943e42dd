"""What both transports share at the HTTP edge: the per-request Call, cookies, guards."""
