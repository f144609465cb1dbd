class DomainError(Exception):
    """A rule of the domain refused the change; the message is shown to the user as is."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)
