using System;
using System.Collections.Generic;
using System.Linq;

namespace AirflowEmulator.Store;

/// <summary>ORDER BY for the list endpoints (NULLs first ascending, as SQLite sorts them).</summary>
internal static class ConnectionOrdering
{
    public static List<StoredConnection> Sort(List<StoredConnection> rows, string field, bool descending)
    {
        IComparer<StoredConnection> cmp = Comparer<StoredConnection>.Create((a, b) =>
        {
            int c = field switch
            {
                "connection_id" or "conn_id" => string.CompareOrdinal(a.ConnId, b.ConnId),
                "conn_type" => CompareNullable(a.ConnType, b.ConnType),
                "description" => CompareNullable(a.Description, b.Description),
                "host" => CompareNullable(a.Host, b.Host),
                "port" => Nullable.Compare(a.Port, b.Port),
                _ => a.Id.CompareTo(b.Id),
            };
            if (descending) c = -c;
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        });
        return rows.Order(cmp).ToList();
    }

    private static int CompareNullable(string? a, string? b)
    {
        if (a is null) return b is null ? 0 : -1;
        if (b is null) return 1;
        return string.CompareOrdinal(a, b);
    }
}
