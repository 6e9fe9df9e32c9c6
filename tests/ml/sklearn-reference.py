#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference scores from scikit-learn for the ml parity tests.

Usage: sklearn-reference.py METHOD TRAIN.f64 TEST.f64 OUT.f64 [key=value...]
A .f64 file is two little-endian uint64 (rows, cols) then rows*cols float64.
Writes the reference scores of the TEST rows (one float64 each) to OUT.
Must run with Debian's /usr/bin/python3 (numpy, scikit-learn 1.2).
"""
import sys

import numpy as np


def read(path):
    with open(path, "rb") as f:
        rows, cols = np.frombuffer(f.read(16), dtype="<u8")
        return np.frombuffer(f.read(), dtype="<f8").reshape(int(rows), int(cols))


def main():
    method, train_path, test_path, out_path = sys.argv[1:5]
    params = dict(arg.split("=", 1) for arg in sys.argv[5:])
    train, test = read(train_path), read(test_path)
    if method == "lof":
        from sklearn.neighbors import LocalOutlierFactor
        model = LocalOutlierFactor(n_neighbors=int(params["n_neighbors"]),
                                   metric=params["metric"], novelty=True).fit(train)
        scores = model.score_samples(test)
    elif method == "lof-decision":
        from sklearn.neighbors import LocalOutlierFactor
        model = LocalOutlierFactor(n_neighbors=int(params["n_neighbors"]),
                                   metric=params["metric"], novelty=True).fit(train)
        scores = model.decision_function(test)
    elif method == "scaled-lof":
        from sklearn.neighbors import LocalOutlierFactor
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        model = make_pipeline(StandardScaler(),
                              LocalOutlierFactor(n_neighbors=int(params["n_neighbors"]),
                                                 metric=params["metric"], novelty=True))
        scores = model.fit(train).score_samples(test)
    elif method == "knn":
        from sklearn.neighbors import NearestNeighbors
        nn = NearestNeighbors(n_neighbors=int(params["n_neighbors"]),
                              metric=params["metric"]).fit(train)
        scores = nn.kneighbors(test)[0].mean(axis=1)
    elif method == "mahalanobis":
        from sklearn.covariance import LedoitWolf
        scores = LedoitWolf().fit(train).mahalanobis(test)
    elif method in ("pca-t2", "pca-spe"):
        from sklearn.decomposition import PCA
        pca = PCA(n_components=int(params["n_components"])).fit(train)
        z = pca.transform(test)
        if method == "pca-t2":
            scores = (z ** 2 / pca.explained_variance_).sum(axis=1)
        else:
            residual = (test - pca.mean_) - z @ pca.components_
            scores = (residual ** 2).sum(axis=1)
    elif method == "logistic":
        from sklearn.linear_model import LogisticRegression
        y = train[:, -1]
        model = LogisticRegression(C=float(params["C"]), solver="newton-cg", tol=1e-14,
                                   max_iter=100000)
        scores = model.fit(train[:, :-1], y).decision_function(test)
    elif method == "scaler":
        from sklearn.preprocessing import StandardScaler
        scores = StandardScaler().fit(train).transform(test).ravel()
    else:
        sys.exit(f"unknown method {method}")
    np.ascontiguousarray(scores, dtype="<f8").tofile(out_path)


if __name__ == "__main__":
    main()
