"""The HTTP service (``attest-rules serve``, the ``[serve]`` extra): FastAPI on uvicorn, the
spec loaded once, answers exactly as the command line gives them, errors as RFC 9457
problem details."""
