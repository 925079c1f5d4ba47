package dev.augsweep.data;

/** The training split (contrastive training and the kNN memory bank) and the test split (kNN queries). */
public record CifarData(CifarSplit train, CifarSplit test) {
    public CifarData limit(int trainLimit, int testLimit) {
        return new CifarData(train.limit(trainLimit), test.limit(testLimit));
    }
}
