package cn.emon;

/**
 * Marker for everything Pekko serializes: persisted events, snapshots and messages between nodes.
 * Bound to jackson-cbor in serialization.conf.
 */
public interface CborSerializable {}
