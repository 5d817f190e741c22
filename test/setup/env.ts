// Quiet TF.js' "install the node backend" hint in test output.
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
