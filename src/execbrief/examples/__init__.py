"""The bundled example portfolio, "Harbor Holdings" (package data used by ``execbrief demo``)."""
