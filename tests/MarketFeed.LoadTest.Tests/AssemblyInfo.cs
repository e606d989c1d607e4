// The soak runs start a gateway process and load two cores: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
