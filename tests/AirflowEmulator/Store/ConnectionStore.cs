using System;
using System.Collections.Generic;
using System.Linq;

namespace AirflowEmulator.Store;

/// <summary>
/// The in-memory connection table. Every read and write takes one lock, so concurrent writers see the
/// same serialisable behaviour a database transaction would give them. Callers get clones, never rows.
/// </summary>
internal sealed class ConnectionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, StoredConnection> _rows = new(StringComparer.Ordinal);
    private long _nextId = 1;

    public StoredConnection? Get(string connId)
    {
        lock (_gate) return _rows.TryGetValue(connId, out StoredConnection? row) ? row.Clone() : null;
    }

    public List<StoredConnection> All()
    {
        lock (_gate) return _rows.Values.OrderBy(r => r.Id).Select(r => r.Clone()).ToList();
    }

    /// <summary>Inserts; false when the id is taken (the unique constraint on conn_id).</summary>
    public bool TryAdd(StoredConnection row)
    {
        lock (_gate)
        {
            if (_rows.ContainsKey(row.ConnId)) return false;
            StoredConnection copy = row.Clone();
            copy.Id = _nextId++;
            _rows.Add(copy.ConnId, copy);
            return true;
        }
    }

    /// <summary>Inserts or replaces (control API seeding).</summary>
    public void Put(StoredConnection row)
    {
        lock (_gate)
        {
            StoredConnection copy = row.Clone();
            copy.Id = _rows.TryGetValue(row.ConnId, out StoredConnection? old) ? old.Id : _nextId++;
            _rows[copy.ConnId] = copy;
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> on a copy of the row and keeps it when change returns true.
    /// Returns the row as it now is; null when there is no such row (change is not called then).
    /// </summary>
    public StoredConnection? Update(string connId, Func<StoredConnection, bool> change)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(connId, out StoredConnection? row)) return null;
            StoredConnection copy = row.Clone();
            if (!change(copy)) return row.Clone();
            copy.ConnId = connId;
            _rows[connId] = copy;
            return copy.Clone();
        }
    }

    public bool Remove(string connId)
    {
        lock (_gate) return _rows.Remove(connId);
    }

    public void Clear()
    {
        lock (_gate) _rows.Clear();
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction on a private copy of the table; the copy replaces
    /// the table only when work returns true (a failed commit leaves nothing behind, as in a database).
    /// </summary>
    public T InTransaction<T>(Func<Transaction, (bool Commit, T Result)> work)
    {
        lock (_gate)
        {
            var tx = new Transaction(_rows.Values.Select(r => r.Clone()), _nextId);
            (bool commit, T result) = work(tx);
            if (commit)
            {
                _rows.Clear();
                foreach (StoredConnection r in tx.Rows.Values) _rows.Add(r.ConnId, r);
                _nextId = tx.NextId;
            }
            return result;
        }
    }

    internal sealed class Transaction
    {
        public Dictionary<string, StoredConnection> Rows { get; } = new(StringComparer.Ordinal);
        public long NextId { get; private set; }

        public Transaction(IEnumerable<StoredConnection> rows, long nextId)
        {
            foreach (StoredConnection r in rows) Rows.Add(r.ConnId, r);
            NextId = nextId;
        }

        public StoredConnection? Find(string connId) => Rows.TryGetValue(connId, out StoredConnection? r) ? r : null;

        /// <summary>Adds a row; false when the id already exists (a unique-constraint violation).</summary>
        public bool Add(StoredConnection row)
        {
            if (Rows.ContainsKey(row.ConnId)) return false;
            row.Id = NextId++;
            Rows.Add(row.ConnId, row);
            return true;
        }

        public bool Remove(string connId) => Rows.Remove(connId);
    }
}
