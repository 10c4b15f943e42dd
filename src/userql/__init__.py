"""userql: an account service with one typed core and two transports (GraphQL and REST)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
