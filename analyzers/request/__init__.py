"""Request analysis, offline: intent layers, XY patterns, underspecification, grounding and one question.

    from xyguard.analyzers.request import analyze_request
    report = analyze_request(text, context=ctx)   # -> RequestReport; .to_dict() is the JSON contract
"""

from .analyze import analyze_request  # noqa: F401
from .request_report import RequestReport  # noqa: F401
