"""Legal time: terms counted the way Kazakh law counts them.

Sources: Civil Code of the Republic of Kazakhstan, arts. 172–176 ("Calculation of terms"):
art. 173 (a term starts the day after its event), art. 174 (the end of terms in years, months and
weeks), art. 175 (a non-working last day moves to the next working day), art. 176 (an action can be
done until 24:00 of the last day); Administrative Procedural Code, arts. 64 and 76 (terms in
days). No other part of the library does date arithmetic of its own.
"""

from .terms import Term, TermEnd, TermError, Unit, term_end

__all__ = ["Term", "TermEnd", "TermError", "Unit", "term_end"]
