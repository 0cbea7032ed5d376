using System.Threading.Tasks;

namespace AirflowEmulator.Http;

/// <summary>One Airflow major version's HTTP surface.</summary>
internal interface IAirflowApi
{
    Task Handle(ApiRequest request);
}
