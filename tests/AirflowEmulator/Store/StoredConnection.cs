namespace AirflowEmulator.Store;

/// <summary>One row of Airflow's connection table, as stored (password and extra in clear).</summary>
internal sealed class StoredConnection
{
    /// <summary>The table's autoincrement id; Airflow lists connections ordered by it by default.</summary>
    public long Id { get; set; }
    public required string ConnId { get; set; }
    public string? ConnType { get; set; }
    public string? Description { get; set; }
    public string? Host { get; set; }
    public string? Login { get; set; }
    public string? Schema { get; set; }
    public long? Port { get; set; }
    public string? Password { get; set; }
    public string? Extra { get; set; }

    public StoredConnection Clone() => (StoredConnection)MemberwiseClone();
}
