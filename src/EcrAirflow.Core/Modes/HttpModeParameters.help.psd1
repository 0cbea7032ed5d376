# What every mode that talks HTTP declares in common (HttpModeParameters.cs): the descriptions a mode's own help source does not override.
@{
    Parameters = @{
        TimeoutSec        = 'How long one HTTP attempt may take, in seconds.'
        MaximumRetryCount = 'How many times 429, 5xx and network failures are retried, with backoff and jitter, honouring Retry-After.'
    }
}
