"""Glossary: every KPI of the catalogue (lib/metrics/catalogue.yaml), in both languages, with
how it is computed — generated, so it can never disagree with the numbers."""
import streamlit as st

from lib.metrics.catalogue import load_catalogue
from ui import state
from ui.state import tr

st.title(tr("nav.glossary"))
lang = state.current_lang()
other = "zh" if lang == "en" else "en"
DIRECTION = {True: "glossary.higher", False: "glossary.lower", None: "glossary.neutral"}


def matches(metric, query: str) -> bool:
    if not query:
        return True
    text = " ".join([metric.id, *metric.label.values(), *metric.description.values(),
                     *metric.formula.values()]).lower()
    return all(word in text for word in query.lower().split())


cat = load_catalogue()
st.write(tr("glossary.intro"))
query = st.text_input(tr("glossary.search"), key="glossary_search").strip()
shown = [m for m in cat.metrics.values() if matches(m, query)]
st.caption(tr("glossary.count", n=len(shown)))
for group, metrics in cat.by_group().items():
    in_group = [m for m in metrics if m in shown]
    if not in_group:
        continue
    st.subheader(tr(f"metrics.group.{group}"))
    for m in in_group:
        with st.expander(f"{m.text('label', lang)} · {m.text('label', other)}"):
            st.write(m.text("description", lang))
            st.markdown(f"**{tr('glossary.formula')}:** {m.text('formula', lang)}")
            st.markdown(f"**{tr('glossary.computation')}:** {tr(f'metrics.kind.{m.kind}')}")
            st.markdown(f"**{tr('glossary.unit')}:** {tr(f'glossary.unit.{m.unit}')} · "
                        f"**{tr('glossary.direction')}:** {tr(DIRECTION[m.higher_is_better])}")
            needs = "; ".join(tr(f"metrics.data.{r}") for r in m.requires)
            st.markdown(f"**{tr('glossary.requires')}:** {needs}")
            st.caption(f"{tr('glossary.id')}: `{m.id}` · {tr('glossary.chapter')}: {tr(f'metrics.chapter.{m.chapter}')}")
