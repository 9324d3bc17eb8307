"""
=================================================
Selecting words for text classification (sparse)
=================================================

A bag of words is a sparse matrix: most words do not occur in most documents.
:class:`skinfo.MIFeatureSelector` takes it as it is, without densifying it, and treats
the integer output of ``CountVectorizer`` as discrete features (each value a level,
the absent word a level of its own). As a corpus that needs no download we use the
docstrings of the installed scikit-learn's public classes and functions, labelled by
the subpackage they come from, and compare the words chosen by MIM and JMI with
scikit-learn's ``SelectKBest(chi2)`` at the same number of words: the cross-validated
accuracy of a multinomial naive Bayes classifier on them, and the time to select.
"""

# %%
# The corpus
# ----------
#
# Every public name of eight subpackages with a docstring is a document (the
# experimental ones, which need an opt-in import, are skipped). The names
# of the subpackages themselves are removed from the text (a docstring that says
# ``sklearn.linear_model.Ridge`` would give its label away), so the classifier has to
# recognise a clustering docstring by its vocabulary: *clusters*, *inertia*, *labels*.
import importlib
import inspect
import re
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

from skinfo import MIFeatureSelector

SUBPACKAGES = [
    "cluster",
    "decomposition",
    "ensemble",
    "feature_selection",
    "linear_model",
    "metrics",
    "model_selection",
    "preprocessing",
]
label_words = re.compile("|".join(SUBPACKAGES))
texts, labels = [], []
for name in SUBPACKAGES:
    module = importlib.import_module(f"sklearn.{name}")
    for attr in sorted(module.__all__):
        try:
            doc = inspect.getdoc(getattr(module, attr))
        except ImportError:  # experimental names need an explicit opt-in
            continue
        if doc:
            texts.append(label_words.sub(" ", doc))
            labels.append(name)
y = np.array(labels)

# %%
# Presence, not counts
# --------------------
#
# With raw counts every count is a level, and a word such as *the*, which occurs
# 0 to 60 times in a docstring, has dozens of levels with a few documents each: its
# plug-in mutual information with the label is biased far upward (the selector warns
# about such features), and MIM and JMI would rank the stop words first. Word
# presence (``binary=True``) has two levels per word and no such bias.
vectorizer = CountVectorizer(min_df=2, binary=True)
X = vectorizer.fit_transform(texts)
print(f"{X.shape[0]} docstrings, {X.shape[1]} words, {X.nnz} stored counts")
print(f"X is a {type(X).__name__} of dtype {X.dtype}")

# %%
# Accuracy against the number of words
# ------------------------------------
#
# Each selector sits in a pipeline in front of the classifier, so the words are
# chosen on the training folds only. The count matrix has an integer dtype, so
# ``discrete_features="auto"`` treats every word as discrete. MIM ranks the words by
# their mutual information with the subpackage; JMI also asks what a word adds to
# each word already chosen, which keeps out near-synonyms that say the same thing.
# A word that occurs only in the held-out fold is constant on the training folds;
# the selector's warning about it is silenced here.
warnings.filterwarnings("ignore", message="Features? column", category=UserWarning)
ks = [10, 30, 100]
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
selectors = {
    "chi2": lambda k: SelectKBest(chi2, k=k),
    "MIM": lambda k: MIFeatureSelector(k, criterion="mim"),
    "JMI": lambda k: MIFeatureSelector(k, criterion="jmi"),
}
accuracy = {}
for name, make in selectors.items():
    accuracy[name] = [
        cross_val_score(make_pipeline(make(k), MultinomialNB()), X, y, cv=cv).mean()
        for k in ks
    ]
    print(
        name,
        " ".join(f"k={k}: {a:.3f}" for k, a in zip(ks, accuracy[name], strict=True)),
    )

# %%
# Time to select 100 words
# ------------------------
#
# ``chi2`` is one pass over the stored counts. MIM is one pass as well: the
# contingency tables of all words against the classes come from the stored entries,
# the absent-word cells by subtraction from the class counts. JMI adds a pass per
# selected word.
fit_time = {}
for name, make in selectors.items():
    start = time.perf_counter()
    selector = make(100).fit(X, y)
    fit_time[name] = time.perf_counter() - start
vocabulary = vectorizer.get_feature_names_out()
jmi = MIFeatureSelector(10, criterion="jmi").fit(X, y)
print("JMI's first ten words:", ", ".join(vocabulary[jmi.ranking_]))

# %%
# Plot
# ----
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
for name, values in accuracy.items():
    left.plot(ks, values, marker="o", label=name)
left.set(
    xscale="log",
    xlabel="number of words kept",
    ylabel="5-fold CV accuracy (MultinomialNB)",
    title="Which subpackage is this docstring from?",
)
left.legend()
right.bar(list(fit_time), list(fit_time.values()), color=["C0", "C1", "C2"])
right.set(ylabel="seconds", title="Time to select 100 words")
fig.tight_layout()
plt.show()
