package io.segmentramen.mapping;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the table derives from its rows, against SPEC §4's own lists: the consumed traits ("every
 * trait not consumed by a row of the tables above") and the fields a forwarded Secure Mode hash covers.
 */
class MappingTableTest {

    private static final Set<String> CREATED = Set.of("created_at", "createdAt", "created");

    @Test
    void identifyConsumesTheTraitsItsRowsReadAndTheCompanyOnlyWhenItIsMapped() {
        Set<String> customer = union(Set.of("email", "name", "firstName", "lastName"), CREATED);
        assertEquals(customer, MappingTable.CUSTOMER.consumed());
        assertEquals(union(customer, Set.of("company")), MappingTable.CUSTOMER.consumedWithNested());
    }

    @Test
    void aGroupConsumesItsCompanyRowsButNotTheIdWhichComesFromGroupId() {
        Set<String> group = union(Set.of("name", "url", "website"), CREATED);
        assertEquals(group, MappingTable.GROUP.consumed());
        MappingTable.Section identifyCompany = MappingTable.CUSTOMER.rules().stream()
                .filter(MappingTable.Nested.class::isInstance).map(rule -> ((MappingTable.Nested) rule).section()).findFirst().orElseThrow();
        assertEquals(union(group, Set.of("id")), identifyCompany.consumed(), "traits.company.id is read from the company object itself");
    }

    @Test
    void theHashCoversUserIdEmailAndNameInThatOrder() {
        assertEquals(List.of("userId", "traits.email", "traits.name"), MappingTable.signedSources(MappingTable.CUSTOMER));
        assertEquals(List.of("userId"), MappingTable.signedSources(MappingTable.GROUP), "a group's traits.name is its company's name");
        assertEquals(List.of("userId"), MappingTable.signedSources(MappingTable.TRACK));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
