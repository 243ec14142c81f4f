package org.deqnc.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deqnc.config.ConfigException;
import org.deqnc.config.ConfigSchema;
import org.junit.jupiter.api.Test;

/** {@link NcConventions#SCHEMA}: every convention as a key=value key, read back into the record. */
class NcConventionsSchemaTest {

    @Test
    void schemaDefaultsAreTheDefaultConventions() {
        assertEquals(NcConventions.defaults(), NcConventions.parse(""));
    }

    @Test
    void everyKeyReachesItsField() {
        NcConventions c = NcConventions.parse("global_mean=sample nc1=svd nc1_scaling=none pinv_tol=1e-6 "
                + "nc2=etf_classifier nc3=structure dispersion=population");
        assertEquals(new NcConventions(GlobalMean.SAMPLE, Nc1Variant.SVD, TraceScaling.NONE, 1e-6,
                Nc2Variant.ETF_CLASSIFIER, Nc3Variant.STRUCTURE, Dispersion.POPULATION), c);
        assertEquals(NcConventions.zhu(), NcConventions.parse("global_mean=sample nc2=etf_classifier nc3=structure"));
    }

    @Test
    void embeddingSchemasPassTheirConventionKeysThrough() {
        ConfigSchema.Builder b = ConfigSchema.builder("%nc");
        NcConventions.SCHEMA.keys().forEach(b::add);
        ConfigSchema magic = b.add(org.deqnc.config.ConfigKey.ofInt("classes", 0, 0, 100, "K")).build();
        assertEquals(NcConventions.defaults().with(Nc1Variant.CDNV),
                NcConventions.from(magic.parseArgs("nc1=cdnv classes=3")));
    }

    @Test
    void badValuesNameTheKeyAndTheAcceptedValues() {
        ConfigException e = assertThrows(ConfigException.class, () -> NcConventions.parse("global_mean=mean"));
        assertEquals("nc: global_mean must be one of class, sample, got 'mean'", e.getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> NcConventions.parse("pinv_tol=1")).getMessage()
                .contains("pinv_tol must be a number in [0, 1)"));
    }
}
