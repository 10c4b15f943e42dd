"""A document may run at most one password-checking mutation, so aliases and fragments
cannot turn one request into many password guesses or many argon2 hashes."""

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
)

SENSITIVE_MUTATIONS = frozenset({"register", "login", "changePassword"})


class OneSensitiveMutation(ValidationRule):
    def enter_document(self, node: DocumentNode, *_args: object) -> None:
        count = sum(
            self._count(definition.selection_set, frozenset())
            for definition in node.definitions
            if isinstance(definition, OperationDefinitionNode)
            and definition.operation is OperationType.MUTATION
        )
        if count > 1:
            self.report_error(
                GraphQLError(
                    "A document may run at most one of register, login and changePassword.",
                    node,
                )
            )

    def _count(self, selection_set: SelectionSetNode, seen: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += selection.name.value in SENSITIVE_MUTATIONS
            elif isinstance(selection, InlineFragmentNode):
                total += self._count(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:  # cycles: another rule's error
                    total += self._count(fragment.selection_set, seen | {name})
        return total
