#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference for bench-sync: the same unordered bulk upserts of the same
number of 432-feature documents, sent by pymongo (the Python driver the
old system used) to the same test server. Prints the seconds it took."""

import argparse
import datetime
import time
import uuid

import pymongo

parser = argparse.ArgumentParser()
parser.add_argument('--uri', required=True)
parser.add_argument('--n', type=int, default=2000)
parser.add_argument('--batch', type=int, default=500)
args = parser.parse_args()

names = ['%s%d_%s_%s' % (kind, i, channel, run)
         for kind, count in (('V', 75), ('G', 33)) for i in range(1, count + 1)
         for channel in ('AC', 'vib') for run in ('down', 'up')]
docs = [{'_id': str(uuid.uuid4()), 'Mesure_CNI': {n: float(j % 60) for n in names},
         'prediction': 1, 'client': 'bench-1', 'temp_rep': 412.0,
         'date_de_creation': datetime.datetime.utcnow(), 'versionmodel': 'lof-1',
         'versionsc': '0.1.0', 'serial': 'SN%06d' % j, 'station': 'bench-1'}
        for j in range(args.n)]
coll = pymongo.MongoClient(args.uri).production.reference
start = time.monotonic()
for i in range(0, len(docs), args.batch):
    coll.bulk_write([pymongo.ReplaceOne({'_id': d['_id']}, d, upsert=True)
                     for d in docs[i:i + args.batch]], ordered=False)
print('%.6f' % (time.monotonic() - start))
