// Tests log only warnings and worse unless LOG_LEVEL says otherwise.
process.env.LOG_LEVEL ??= 'warn';
