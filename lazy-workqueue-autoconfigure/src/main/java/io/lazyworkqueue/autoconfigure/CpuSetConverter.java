package io.lazyworkqueue.autoconfigure;

import io.lazyworkqueue.CpuSet;

import org.springframework.core.convert.converter.Converter;

/**
 * Reads a {@code cpus} property, a Linux cpulist such as {@code 0-3,8}. A malformed list fails the
 * binding, and Spring Boot's report names the property, the value, its origin and the mistake.
 */
final class CpuSetConverter implements Converter<String, CpuSet> {

    @Override
    public CpuSet convert(String cpulist) {
        return CpuSet.parse(cpulist.trim());
    }
}
