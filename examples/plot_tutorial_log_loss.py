"""
==============================================
Cross-entropy loss and scikit-learn's log_loss
==============================================

The cross-entropy loss of a classifier is the average, over samples, of the
cross-entropy between the one-hot true label and the predicted class probabilities:
``-log q(true class)``. This example computes it with
:func:`skinfo.measures.cross_entropy` for the tutorial's confident, hedging and poor
predictions of five three-class samples, checks that it equals
:func:`sklearn.metrics.log_loss` (which works in nats), and then connects the loss to
entropy: predicting the class frequencies for everyone costs exactly ``H(Y)``, and a
real classifier's loss below that is information it has extracted from the features.
"""

# %%
# Per-sample cross-entropy, averaged
# ----------------------------------
# ``measures.cross_entropy`` works along the last axis, so one call gives the loss of
# every sample. Its mean in nats is scikit-learn's ``log_loss``; dividing by
# ``log 2`` (or passing ``base=2``) gives bits. The first set of predictions is
# called "perfect" in the tutorial, but putting 0.9 on the right class still costs
# ``-log2(0.9) = 0.152`` bits per sample: only a probability of 1 costs nothing.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skinfo import estimate, measures

y_true = np.array([0, 1, 2, 0, 1])
one_hot = np.eye(3)[y_true]
predictions = {
    "confident": np.array(
        [
            [0.9, 0.05, 0.05],
            [0.05, 0.9, 0.05],
            [0.05, 0.05, 0.9],
            [0.9, 0.05, 0.05],
            [0.05, 0.9, 0.05],
        ]
    ),
    "good": np.array(
        [
            [0.7, 0.2, 0.1],
            [0.2, 0.6, 0.2],
            [0.1, 0.2, 0.7],
            [0.6, 0.3, 0.1],
            [0.2, 0.7, 0.1],
        ]
    ),
    "poor": np.array(
        [
            [0.3, 0.4, 0.3],
            [0.4, 0.3, 0.3],
            [0.3, 0.3, 0.4],
            [0.4, 0.3, 0.3],
            [0.3, 0.4, 0.3],
        ]
    ),
}

header = ["predictions", "skinfo (nats)", "log_loss", "skinfo (bits)"]
print(f"{header[0]:>11}  {header[1]:>13}  {header[2]:>8}  {header[3]:>13}")
per_sample = {}
for name, y_pred in predictions.items():
    per_sample[name] = measures.cross_entropy(one_hot, y_pred, base=2)
    nats = measures.cross_entropy(one_hot, y_pred).mean()
    sklearn_value = log_loss(y_true, y_pred, labels=[0, 1, 2])
    print(
        f"{name:>11}  {nats:13.4f}  {sklearn_value:8.4f}  "
        f"{per_sample[name].mean():13.4f}"
    )

# %%
# The loss of one sample is ``-log2 q``, ``q`` the probability given to the true
# class: a curve that is flat near ``q = 1`` and explodes as ``q`` goes to 0, so one
# confident mistake can outweigh many good predictions.
q = np.linspace(0.01, 1.0, 200)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(q, -np.log2(q), "k-", lw=1.5, label="-log2 q")
for (name, y_pred), marker in zip(predictions.items(), "os^", strict=True):
    q_true = y_pred[np.arange(y_true.size), y_true]
    ax.plot(q_true, per_sample[name], marker, ms=8, label=name)
ax.set_xlabel("predicted probability of the true class")
ax.set_ylabel("cross-entropy loss (bits)")
ax.set_ylim(0, 4)
ax.legend()
ax.grid(True, alpha=0.3)
fig.tight_layout()

# %%
# The baseline loss is the entropy of the labels
# ----------------------------------------------
# A classifier that ignores the features and always predicts the class frequencies
# has a log loss equal to the plug-in entropy of the labels, ``H(Y)``
# (:func:`skinfo.estimate.entropy`). Any model must beat this to be useful, and the
# gap ``H(Y) - loss`` is information about ``Y`` that the model found in ``X``; for a
# loss measured on held-out data it is, up to estimation noise, a lower bound on
# ``I(X;Y)``. Here a logistic regression on the breast-cancer data, with
# out-of-fold probabilities from 5-fold cross-validation:
X, y = load_breast_cancer(return_X_y=True)
frequencies = np.bincount(y) / y.size
baseline = log_loss(y, np.tile(frequencies, (y.size, 1))) / np.log(2)
h_y = estimate.entropy(y, method="plugin", base=2)
model = make_pipeline(StandardScaler(), LogisticRegression(solver="liblinear"))
proba = cross_val_predict(model, X, y, cv=5, method="predict_proba")
model_loss = measures.cross_entropy(np.eye(2)[y], proba, base=2).mean()
print(f"H(Y)                          = {h_y:.4f} bits")
print(f"log loss of class frequencies = {baseline:.4f} bits")
print(f"log loss of the model         = {model_loss:.4f} bits")
print(f"information extracted         = {h_y - model_loss:.4f} bits")

fig, ax = plt.subplots(figsize=(5, 3.2))
ax.barh(["model", "class frequencies"], [model_loss, baseline], color=["C2", "C7"])
ax.axvline(h_y, color="black", ls="--", lw=1, label="H(Y)")
ax.set_xlabel("cross-entropy loss (bits per sample)")
ax.legend()
fig.tight_layout()
plt.show()
