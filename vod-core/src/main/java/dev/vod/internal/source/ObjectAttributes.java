package dev.vod.internal.source;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What the object store file system says of a path: an object (a regular file whose {@link #fileKey()} is its
 * {@link ObjectVersion}, so the content resolver can take the store's ETag as the response's) or a folder.
 */
record ObjectAttributes(ObjectVersion version, long lastModified) implements BasicFileAttributes {
    static final ObjectAttributes FOLDER = new ObjectAttributes(null, 0);

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.fromMillis(lastModified);
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return version != null;
    }

    @Override
    public boolean isDirectory() {
        return version == null;
    }

    @Override
    public boolean isSymbolicLink() {
        return false;
    }

    @Override
    public boolean isOther() {
        return false;
    }

    @Override
    public long size() {
        return version == null ? 0 : version.size();
    }

    @Override
    public Object fileKey() {
        return version;
    }
}
