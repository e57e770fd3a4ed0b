"""The optional LLM path (litellm), used only when a model is configured; the offline result always stands.

    report = enrich_request(report_dict, text, context, config)
    report = enrich_edit(report_dict, diff_text, request, context, config)
    result = enrich_evaluation(evaluate_result, diff_text, context, config)

Nothing here imports litellm until a call is actually made with a model set.
"""

from .enrich import enrich_edit, enrich_evaluation, enrich_request  # noqa: F401
from .sanitize import clean  # noqa: F401
