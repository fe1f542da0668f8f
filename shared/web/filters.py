"""DRF's filter backends, with the one fix every capstone's API needs.

DRF's SearchFilter validates ``?search=`` with a CharField and lets its ValidationError
escape without a field name, so a search with a NUL character answers a validation error
whose ``attr`` is null, which the schema's validation error does not allow (attr is the
field's name). This one names the parameter, as any other invalid query parameter is named.
"""

from rest_framework import filters, serializers
from rest_framework.request import Request


class SearchFilter(filters.SearchFilter):
    def get_search_terms(self, request: Request) -> list[str]:
        try:
            return list(super().get_search_terms(request))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.search_param: error.detail}) from error
