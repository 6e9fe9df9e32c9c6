#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converts a historical scikit-learn pickle (StandardScaler + LocalOutlierFactor
with novelty=True, as a Pipeline, a (scaler, lof) tuple/list or a dict) into an
Ausculta model file (safetensors layout, DESIGN.md section 5).

Usage: convert-sklearn-pickle.py MODEL.pkl OUT.model [--version NAME]
                                 [--features NAMES.txt]

The scores are exactly the pickle's: Ausculta's LOF reproduces scikit-learn's,
and the converted file keeps the fitted reference set, k-distances and local
reachability densities. The threshold is the pickle's own decision (outlier
when decision_function < 0, i.e. -score_samples > -offset_). Feature names come
from feature_names_in_, a --features file (one per line), or the historical
432-column layout. Run with Debian's /usr/bin/python3 (numpy, scikit-learn).
Unpickling runs code from the file: convert only pickles you trust.
"""
import argparse
import hashlib
import json
import pickle
import struct
import sys

import numpy as np


def historical_names():
    names = []
    for run in ("down", "up"):
        for b in range(75 + 33):
            order = b < 75
            number = b + 1 if order else b - 75 + 1
            for channel in ("AC", "vib"):
                typo = not order and number == 29 and channel == "vib"
                names.append(f"{'V' if order else 'G'}{number}{'' if typo else '_'}{channel}_{run}")
    return names


def split_model(obj):
    if hasattr(obj, "steps"):
        steps = [s for _, s in obj.steps]
    elif isinstance(obj, dict):
        steps = list(obj.values())
    elif isinstance(obj, (list, tuple)):
        steps = list(obj)
    else:
        steps = [obj]
    scaler = next((s for s in steps if type(s).__name__ == "StandardScaler"), None)
    lof = next((s for s in steps if type(s).__name__ == "LocalOutlierFactor"), None)
    if lof is None:
        sys.exit("no fitted LocalOutlierFactor in the pickle")
    if not getattr(lof, "novelty", False):
        sys.exit("the LocalOutlierFactor was not fitted with novelty=True: it cannot score new rows")
    return scaler, lof


def safetensors(metadata, tensors):
    header = {"__metadata__": dict(sorted(metadata.items()))}
    data = b""
    for name in sorted(tensors):
        array = tensors[name]
        raw = array.tobytes()
        header[name] = {"dtype": "U8" if array.dtype == np.uint8 else "F64",
                        "shape": list(array.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def convert(scaler, lof, names, version):
    reference = np.ascontiguousarray(lof._fit_X, dtype="<f8")
    n, d = reference.shape
    if len(names) != d:
        sys.exit(f"{len(names)} feature names for {d} columns")
    k = int(lof.n_neighbors_)
    metric = lof.effective_metric_
    if metric not in ("euclidean", "manhattan", "cosine"):
        sys.exit(f"metric {metric}: Ausculta reproduces euclidean, manhattan and cosine")
    preprocess = "standard" if scaler is not None else "none"
    tensors = {
        "preprocess.log_columns": np.zeros(d, dtype=np.uint8),
        "detector.reference": reference,
        "detector.k_distance": np.ascontiguousarray(lof._distances_fit_X_[:, k - 1], dtype="<f8"),
        "detector.lrd": np.ascontiguousarray(lof._lrd, dtype="<f8"),
    }
    if scaler is not None:
        tensors["preprocess.mean"] = np.ascontiguousarray(scaler.mean_, dtype="<f8")
        tensors["preprocess.scale"] = np.ascontiguousarray(scaler.scale_, dtype="<f8")
    training_hash = hashlib.sha256(reference.tobytes()).hexdigest()
    parameters = {"detector": "lof", "metric": metric, "n_neighbors": str(k),
                  "preprocess": preprocess, "source": "scikit-learn pickle"}
    metadata = {
        "format": "ausculta-model", "format_version": "1",
        "model_version": version or f"sklearn-lof-{training_hash[:12]}",
        "feature_names": json.dumps(names, separators=(",", ":")),
        "n_features": str(d), "preprocess": preprocess, "detector": "lof",
        "parameters": json.dumps(parameters, sort_keys=True, separators=(",", ":")),
        "threshold": repr(float(-lof.offset_)),
        "threshold_rule": f"converted from scikit-learn: outlier when decision_function < 0 "
                          f"(offset_ = {float(lof.offset_)!r})",
        "training_hash": training_hash, "training_rows": str(n),
        "detector.kind": "lof", "detector.n_neighbors": str(k),
        "detector.n_reference": str(n), "detector.metric": metric,
        "score": "larger is more anomalous; NOK when score > threshold",
    }
    return safetensors(metadata, tensors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pickle")
    parser.add_argument("output")
    parser.add_argument("--version")
    parser.add_argument("--features")
    opts = parser.parse_args()
    try:
        import joblib  # historical models were saved with joblib.dump
        obj = joblib.load(opts.pickle)
    except ImportError:
        with open(opts.pickle, "rb") as f:
            obj = pickle.load(f)
    scaler, lof = split_model(obj)
    if opts.features:
        with open(opts.features) as f:
            names = [line.strip() for line in f if line.strip()]
    elif hasattr(scaler, "feature_names_in_"):
        names = [str(x) for x in scaler.feature_names_in_]
    elif hasattr(lof, "feature_names_in_"):
        names = [str(x) for x in lof.feature_names_in_]
    else:
        names = historical_names()
    with open(opts.output, "wb") as f:
        f.write(convert(scaler, lof, names, opts.version))
    print(f"{opts.output}: LOF k={lof.n_neighbors_} {lof.effective_metric_}, "
          f"{lof._fit_X.shape[0]} reference rows, threshold {-lof.offset_!r}")


if __name__ == "__main__":
    main()
