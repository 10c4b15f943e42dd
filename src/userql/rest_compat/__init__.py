"""The memo's REST routes, a thin layer over the same resolvers as GraphQL."""
