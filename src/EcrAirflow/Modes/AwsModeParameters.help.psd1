# What every AWS-backed mode takes besides the shared AWS parameters (AwsModeParameters.cs): its descriptions.
@{
    Parameters = @{
        TimeoutSec        = 'How long one HTTP attempt may take, in seconds.'
        MaximumRetryCount = 'How many times 429, 5xx and network failures are retried, with backoff and jitter, honouring Retry-After.'
    }
}
